package org.rnn4j.cli.seq2seq;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.rnn4j.io.AtomicFiles;

/**
 * An attention matrix as a PNG heat map: one row per output token (EOS last), one column per source
 * token, white = 0 to black = 1, with the tokens as labels (source labels rotated). Java2D only.
 */
final class AttentionPng {
    private static final int CELL = 22;
    private static final int MARGIN = 8;

    private AttentionPng() {}

    /**
     * @param weights [outputs.size()][sources.size()]
     */
    static void write(Path png, List<String> sources, List<String> outputs, float[][] weights) throws IOException {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics fm = pg.getFontMetrics();
        int left = 0, top = 0;
        for (String s : outputs) left = Math.max(left, fm.stringWidth(s));
        for (String s : sources) top = Math.max(top, fm.stringWidth(s));
        pg.dispose();
        left += 2 * MARGIN;
        top += 2 * MARGIN;
        int w = left + sources.size() * CELL + MARGIN, h = top + outputs.size() * CELL + MARGIN;
        BufferedImage img = new BufferedImage(Math.max(w, 40), Math.max(h, 40), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(font);
        g.setColor(Color.BLACK);
        for (int i = 0; i < outputs.size(); i++) {
            String s = outputs.get(i);
            g.drawString(s, left - MARGIN - fm.stringWidth(s), top + i * CELL + (CELL + fm.getAscent()) / 2 - 2);
        }
        AffineTransform saved = g.getTransform();
        for (int j = 0; j < sources.size(); j++) {
            g.setTransform(saved);
            int x = left + j * CELL + (CELL + fm.getAscent()) / 2 - 2;
            g.translate(x, top - MARGIN);
            g.rotate(-Math.PI / 2);
            g.drawString(sources.get(j), 0, 0);
        }
        g.setTransform(saved);
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = 0; j < sources.size(); j++) {
                float a = j < weights[i].length ? Math.max(0f, Math.min(1f, weights[i][j])) : 0f;
                int level = Math.round(255 * (1 - a));
                g.setColor(new Color(level, level, level));
                g.fillRect(left + j * CELL, top + i * CELL, CELL, CELL);
            }
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(left, top, sources.size() * CELL, outputs.size() * CELL);
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }
}
