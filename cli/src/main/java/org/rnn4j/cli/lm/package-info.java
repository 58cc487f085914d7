/**
 * {@code rnn4j lm train|sample|eval}: the language-modelling commands over {@link org.rnn4j.apps.lm}.
 * Flags are the contract of issue 5; output folders are never overwritten.
 */
package org.rnn4j.cli.lm;
