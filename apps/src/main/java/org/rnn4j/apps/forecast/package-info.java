/**
 * The data side of time-series forecasting: reading a weather CSV, resolving and regularising time,
 * filling missing values, encoding features, chronological splitting, normalisation from the training
 * part, sliding windows, and the baselines (persistence, seasonal persistence, climatology) and metrics
 * that a model is judged against.
 *
 * <p>Entry points: {@link org.rnn4j.apps.forecast.ForecastDataset#load} builds windows ready for a
 * network; {@link org.rnn4j.apps.forecast.Evaluation#evaluate} scores model forecasts against the
 * baselines; {@link org.rnn4j.apps.forecast.FeatureSpec} is everything needed to turn the latest rows of
 * a file into a model input later ({@link org.rnn4j.apps.forecast.ForecastInput#latest}).
 *
 * <h2>Preprocessing policy</h2>
 * <ol>
 *   <li><b>Time.</b> One column of dates or date-times ({@link org.rnn4j.apps.forecast.TimeParser} lists
 *       the formats), or year/month/day[/hour[/minute]] columns. Values with {@code Z} or an offset are
 *       converted to UTC. Rows are sorted by time (stably); of rows with the same timestamp the first in
 *       the file is kept and the rest are counted as duplicates.</li>
 *   <li><b>Step and gaps.</b> The step is the median difference between consecutive timestamps (a
 *       calendar month when that median is 28–31 days, a year when 365–366). A gap of up to
 *       {@code maxGapFillSteps} missing steps is filled with rows whose values are all missing (and are
 *       then filled as below, never used as targets); a longer gap is a <i>break</i>, and no window
 *       spans a break.</li>
 *   <li><b>Missing values</b> ({@code NA}, empty, {@code NaN}, {@code null}, {@code ?}, ... see
 *       {@link org.rnn4j.apps.forecast.Cells#isMissing}): in each numeric column, a run of at most
 *       {@code maxInterpolationSteps} missing values between two observed values is interpolated linearly
 *       in time; a longer run is filled forward with the last observed value; missing values before the
 *       first observation are filled backward with it. Missing categorical values encode as all zeros.
 *       Rows whose target was missing are never used as a target: their entries in the window mask
 *       are 0, so they are out of the loss and the metrics. The counts are in the report.</li>
 *   <li><b>Features.</b> All usable columns by default: numeric columns, and text columns one-hot
 *       encoded (categories from the training part, sorted); not the time columns, year/month/day/hour
 *       components, a running index ({@code No}, {@code index}, {@code id}, or values 1, 2, 3, ...),
 *       constant columns, columns more than half missing, or text columns with too many distinct
 *       values. The target is always an input too. Calendar features: day of year as sine/cosine,
 *       and hour of day as sine/cosine when the step is shorter than a day. Optionally
 *       ({@link org.rnn4j.apps.forecast.ForecastOptions#logInputs}) heavy-tailed non-negative inputs are
 *       fed as log(1 + x).</li>
 *   <li><b>Split.</b> Chronological: the first 70% of rows train, the next 10% validate, the last 20%
 *       test. Every window (inputs and targets) lies wholly inside one part, so no information crosses
 *       a boundary; the first {@code lookback + horizon + stepsAhead - 2} rows of each part are used
 *       only as inputs.</li>
 *   <li><b>Normalisation.</b> Each numeric feature and the target are standardised with the mean and
 *       (population) standard deviation of the training part only; the target statistics use observed
 *       target values only. One-hot and calendar features are left as they are.</li>
 * </ol>
 *
 * <p>{@link org.rnn4j.apps.forecast.BiasCorrection} lowers forecasts by the model's mean recent error, using
 * only errors already observed when each forecast is issued.
 */
package org.rnn4j.apps.forecast;
