/** The applications built on the core: forecasting (and, as they arrive, language modelling, seq2seq, classification, the gradient lab). */
package org.rnn4j.apps;
