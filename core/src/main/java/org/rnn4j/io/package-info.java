/**
 * Files: model files in the safetensors format, a small strict JSON reader and writer for their
 * metadata, and atomic writes so that no crash or full disk ever leaves a half-written or damaged
 * file behind.
 *
 * <p>Everything here reads input that may come from strangers, so readers check every length
 * against the real file size before allocating, and every problem surfaces as a {@link
 * org.rnn4j.io.FormatException} naming the file and what was expected.
 */
package org.rnn4j.io;
