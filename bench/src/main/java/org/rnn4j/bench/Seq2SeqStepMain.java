package org.rnn4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.rnn4j.apps.seq2seq.Batch;
import org.rnn4j.apps.seq2seq.Example;
import org.rnn4j.apps.seq2seq.Seq2SeqConfig;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.apps.seq2seq.Seq2SeqPass;
import org.rnn4j.apps.seq2seq.Tokenization;
import org.rnn4j.apps.seq2seq.Vocabulary;
import org.rnn4j.kernel.Parallel;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;

/**
 * Times one seq2seq training step (forward, backward, clipping, Adam) of the grapheme-to-phoneme model
 * of docs/seq2seq.md (bi-LSTM encoder, 2 layers, hidden 384, embedding 64, general attention, dropout
 * 0.3) on synthetic batches of 64 pairs (source length 8-10, target length 7-9; vocabularies 30 and 42,
 * like CMUdict's letters and phonemes), and prints target tokens per second, both per second of this
 * thread's CPU time (what the code costs, meaningful on a shared machine) and per wall-clock second. The
 * batches are drawn once from a fixed seed, so every run does the same work; the mean loss and the hash
 * of every parameter bit printed at the end fingerprint the computation (they must not move when only
 * speed changes).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnn4j.bench.Seq2SeqStepMain \
 *        --threads 1 --warmup 30 --steps 60 [--dropout 0.3] [--attention general] [--cell lstm]
 * </pre>
 */
public final class Seq2SeqStepMain {
    private Seq2SeqStepMain() {}

    public static void main(String[] args) {
        int threads = 1, warmup = 30, steps = 60, batches = 8, hidden = 384, layers = 2, emb = 64, batch = 64;
        double dropout = 0.3;
        String attention = "general", cell = "lstm";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--threads" -> threads = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--dropout" -> dropout = Double.parseDouble(v);
                case "--attention" -> attention = v;
                case "--cell" -> cell = v;
                case "--hidden-size" -> hidden = Integer.parseInt(v);
                case "--layers" -> layers = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        Parallel.configure(threads);
        Vocabulary src = vocabulary("c", 30), tgt = vocabulary("p", 42);
        Seq2SeqConfig config = new Seq2SeqConfig(CellKind.valueOf(cell.toUpperCase()), emb, hidden, layers,
                Attention.Score.parse(attention), dropout);
        Seq2SeqModel model = Seq2SeqModel.create(config, src, tgt, Tokenization.parse("chars"), Tokenization.parse("words"), 1);
        Seq2SeqPass pass = model.newPass();
        Optimizer opt = Optimizers.create("adam", 1e-3, 0, 0, model.parameters());
        Rng data = new Rng(7);
        List<Batch> list = new ArrayList<>();
        for (int k = 0; k < batches; k++) list.add(batch(data, batch, src.size(), tgt.size()));
        Rng drop = new Rng(11);
        double lossSum = 0;
        for (int i = 0; i < warmup; i++) lossSum += step(model, pass, opt, list.get(i % batches), drop);
        var mx = ManagementFactory.getThreadMXBean();
        long tokens = 0;
        long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
        // per cycle of all batches: the same work every cycle, so its CPU time is comparable across cycles
        List<Double> cycles = new ArrayList<>();
        long cycleStart = c0;
        for (int i = 0; i < steps; i++) {
            Batch b = list.get(i % batches);
            lossSum += step(model, pass, opt, b, drop);
            tokens += b.targetTokens();
            if (i % batches == batches - 1) {
                long now = mx.getCurrentThreadCpuTime();
                cycles.add((now - cycleStart) / 1e6 / batches);
                cycleStart = now;
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9, cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        Collections.sort(cycles);
        System.out.printf(Locale.ROOT, "seq2seq %s %dx%d emb %d batch %d %s dropout %.2f threads %d: %d steps; "
                        + "CPU %.1f ms/step, %.0f target tokens/s; wall %.1f ms/step, %.0f target tokens/s (loss %.6f)%n",
                cell, layers, hidden, emb, batch, attention, dropout, threads, steps, 1000 * cpu / steps, tokens / cpu,
                1000 * sec / steps, tokens / sec, lossSum / (warmup + steps));
        if (!cycles.isEmpty()) {
            System.out.printf(Locale.ROOT, "CPU ms/step per cycle of %d batches: best %.1f, median %.1f (%d cycles)%n", batches,
                    cycles.get(0), cycles.get(cycles.size() / 2), cycles.size());
        }
        // bit-level fingerprint of the trained parameters: a speed change must leave it unchanged
        float[] v = model.parameters().values();
        long hash = 1;
        for (float f : v) hash = 31 * hash + Float.floatToRawIntBits(f);
        System.out.printf(Locale.ROOT, "parameter fingerprint after %d steps: %016x%n", warmup + steps, hash);
        Parallel.configure(1);
    }

    private static double step(Seq2SeqModel model, Seq2SeqPass pass, Optimizer opt, Batch b, Rng drop) {
        model.parameters().zeroGrad();
        double loss = pass.forward(b, true, drop);
        pass.backward();
        GradClip.clipNorm(model.parameters(), 5.0);
        opt.step(model.parameters());
        return loss;
    }

    private static Vocabulary vocabulary(String prefix, int size) {
        List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS));
        for (int i = tokens.size(); i < size; i++) tokens.add(prefix + i);
        return new Vocabulary(tokens);
    }

    private static Batch batch(Rng rng, int b, int srcVocab, int tgtVocab) {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int[] s = new int[8 + rng.nextInt(3)];
            int[] t = new int[6 + rng.nextInt(3)];
            for (int j = 0; j < s.length; j++) s[j] = 4 + rng.nextInt(srcVocab - 4);
            for (int j = 0; j < t.length; j++) t[j] = 4 + rng.nextInt(tgtVocab - 4);
            ex.add(new Example(s, t, i + 1));
        }
        return Batch.of(ex);
    }
}
