/**
 * Hostile-input proofing of every reader: fuzz targets ({@link org.rnn4j.fuzz.Readers}), the Jazzer
 * regression run over the committed corpus, a short mutation fuzz run with jqwik, and the standalone
 * entry points for long coverage-guided runs ({@code tools/fuzz/run.sh}). See docs/reliability.md.
 */
package org.rnn4j.fuzz;
