package org.rnn4j.cli.forecast;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.apps.forecast.BiasCorrection;
import org.rnn4j.apps.forecast.ForecastDataset;
import org.rnn4j.apps.forecast.ForecastInput;
import org.rnn4j.apps.forecast.Forecaster;
import org.rnn4j.apps.forecast.WindowSet;
import org.rnn4j.data.CsvTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j forecast predict}: forecast from the latest rows of a CSV with a trained model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Forecast from the latest rows of a CSV file with a model made by `rnn4j forecast`.")
final class ForecastPredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model.safetensors from a forecast run")
    Path model;
    @Option(names = "--data", required = true, description = "CSV file with the same columns as in training")
    Path data;

    @Override
    public Integer call() throws Exception {
        Forecaster f = Forecaster.load(model);
        CsvTable table = ForecastDataset.readTable(data);
        ForecastInput input = ForecastInput.latest(table, f.spec());
        double[] y = f.predict(input.inputs());
        for (String note : input.notes()) System.out.println("note: " + note);
        int days = f.biasCorrectionDays();
        if (days > 0) {
            // The model's errors on the file's recent windows whose targets are in the file: known now.
            WindowSet recent = ForecastInput.recentWindows(table, f.spec(), days);
            int[] counts = new int[y.length];
            double[] bias = BiasCorrection.latest(recent, f.predict(recent), input.lastTime(), days, counts);
            for (int k = 0; k < y.length; k++) y[k] -= bias[k];
            System.out.printf(Locale.ROOT, "note: bias correction over the last %d days: subtracted %.3f (mean error of %d forecasts"
                    + " whose targets are in the file)%s%n", days, bias[0], counts[0],
                    y.length > 1 ? " for the first step, each step its own" : "");
        }
        System.out.printf(Locale.ROOT, "last input row: %s (%s = %s)%n", input.lastTime(), f.spec().target(), input.lastObservedTarget());
        System.out.printf(Locale.ROOT, "%-20s %s%n", "time", f.spec().target());
        for (int k = 0; k < y.length; k++) {
            System.out.printf(Locale.ROOT, "%-20s %.3f%n", input.targetTimes().get(k), y[k]);
        }
        return 0;
    }
}
