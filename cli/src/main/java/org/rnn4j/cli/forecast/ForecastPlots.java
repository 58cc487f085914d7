package org.rnn4j.cli.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.rnn4j.apps.forecast.Baselines;
import org.rnn4j.apps.forecast.Evaluation;
import org.rnn4j.apps.forecast.ForecastDataset;
import org.rnn4j.apps.forecast.ForecastTrainer;
import org.rnn4j.apps.forecast.WindowSet;
import org.rnn4j.cli.Plots;

/** The two pictures of a forecast run. */
final class ForecastPlots {
    private ForecastPlots() {}

    /** Training and validation loss per epoch (the mean over ensemble members). */
    static void lossCurves(Path png, ForecastTrainer.Result r) throws IOException {
        double[] train = toArray(ForecastCommand.mean(r.trainLoss())), val = toArray(ForecastCommand.mean(r.valLoss()));
        new Plots.Chart("Training and validation loss", "epoch", "MSE (normalised units)")
                .line("train", Plots.Line.of(train))
                .line("validation", Plots.Line.of(val))
                .logY(Plots.spansDecades(train, val)).save(png);
    }

    /** Actual vs predicted over the test period (first step ahead), with the baselines faint. */
    static void forecast(Path png, ForecastDataset ds, Evaluation eval, double[] predictions) throws IOException {
        WindowSet test = ds.test();
        int n = test.size(), k = test.stepsAhead();
        double[] days = new double[n], actual = new double[n], model = new double[n];
        double[] persistence = new double[n], climatology = new double[n];
        double[] allActual = test.actual();
        Baselines b = eval.baselines();
        double t0 = test.targetTime(0, 0).toEpochSecond(ZoneOffset.UTC);
        double unit = ds.step().seconds() >= 86400 || ds.step().months() > 0 ? 86400 : 3600;
        for (int i = 0; i < n; i++) {
            days[i] = (test.targetTime(i, 0).toEpochSecond(ZoneOffset.UTC) - t0) / unit;
            actual[i] = allActual[i * k];
            model[i] = predictions[i * k];
            persistence[i] = b.persistence()[i * k];
            climatology[i] = b.climatology()[i * k];
        }
        String target = ds.target();
        Plots.Chart chart = new Plots.Chart(target + ": test period, " + ds.spec().horizon() + " step(s) ahead",
                (unit == 86400 ? "days" : "hours") + " since " + test.targetTime(0, 0), target)
                .line("actual", new Plots.Line(days, actual, false))
                .line("rnn4j forecast", new Plots.Line(days, model, false))
                .line("persistence", new Plots.Line(days, persistence, true))
                .line("climatology", new Plots.Line(days, climatology, true));
        if (b.seasonalPersistence() != null) {
            double[] seasonal = new double[n];
            for (int i = 0; i < n; i++) seasonal[i] = b.seasonalPersistence()[i * k];
            chart.line("seasonal persistence", new Plots.Line(days, seasonal, true));
        }
        chart.size(1400, 600).save(png);
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
