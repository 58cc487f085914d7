/**
 * Data pipeline pieces shared by the applications: CSV reading (RFC 4180, streaming, strict UTF-8,
 * errors that name the file and line). Vocabularies, tokenizers and batching live here too as they
 * arrive.
 */
package org.rnn4j.data;
