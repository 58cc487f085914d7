/** Dense float32 tensors with a shape, and reading and writing NumPy {@code .npy} files. */
package org.rnn4j.tensor;
