package org.rnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnn4j.io.AtomicFiles;

/** PNG line charts (XChart), written atomically. Every application's pictures go through here. */
public final class Plots {
    private Plots() {}

    /** Whether positive values span more than a factor 20: then a log axis shows them better (and gets tick labels). */
    public static boolean spansDecades(double[]... series) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[] s : series) {
            for (double v : s) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 && hi / lo > 20;
    }

    /** One line of a chart: x and y of equal length; faint lines are drawn thin and light. */
    public record Line(double[] x, double[] y, boolean faint) {
        public Line {
            if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " points, y has " + y.length);
        }

        public static Line of(double[] y) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) x[i] = i + 1;
            return new Line(x, y, false);
        }
    }

    /** A chart with named lines (insertion order = legend order). */
    public static final class Chart {
        final String title;
        final String xLabel;
        final String yLabel;
        final Map<String, Line> lines = new LinkedHashMap<>();
        boolean logY;
        Color[] palette;
        int width = 1000;
        int height = 560;

        public Chart(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        public Chart line(String name, Line line) {
            lines.put(name, line);
            return this;
        }

        public Chart logY(boolean on) {
            this.logY = on;
            return this;
        }

        /** Series colours in line order (cycled); without this XChart's default palette is used. */
        public Chart palette(Color... colors) {
            this.palette = colors.clone();
            return this;
        }

        public Chart size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        /** Writes the chart as PNG to {@code png} (atomically). */
        public void save(Path png) throws IOException {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                    .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
            chart.getStyler().setMarkerSize(0);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setPlotGridLinesVisible(true);
            chart.getStyler().setYAxisLogarithmic(logY);
            if (palette != null && palette.length > 0) chart.getStyler().setSeriesColors(palette);
            for (Map.Entry<String, Line> e : lines.entrySet()) {
                Line l = e.getValue();
                double[] y = l.y().clone();
                if (logY) {
                    for (int i = 0; i < y.length; i++) if (!(y[i] > 0)) y[i] = Double.NaN;
                }
                XYSeries s = chart.addSeries(e.getKey(), l.x(), y);
                s.setMarker(SeriesMarkers.NONE);
                if (l.faint()) {
                    s.setLineWidth(1f);
                    s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                } else {
                    s.setLineWidth(1.8f);
                }
            }
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        }
    }
}
