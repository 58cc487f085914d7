package org.rnn4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns exceptions into exit codes: user errors (bad files, shapes, arguments) print one line and
 * exit 2; anything else is a bug in rnn4j and keeps its stack trace (exit 1).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        String name = cl.getCommandSpec().qualifiedName();
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String message = userMessage(e);
        if (message != null) {
            cl.getErr().println(name + ": " + message);
            cl.getErr().flush();
            return USER_ERROR;
        }
        cl.getErr().println(name + ": internal error (please report): " + e);
        e.printStackTrace(cl.getErr());
        cl.getErr().flush();
        return 1;
    }

    /** The one-line message for a user error, or null when the exception is a bug. */
    static String userMessage(Throwable e) {
        if (e instanceof NoSuchFileException n) return "file not found: " + n.getFile();
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        if (e instanceof FileAlreadyExistsException f) return "already exists: " + f.getFile();
        if (e instanceof java.nio.file.FileSystemException fs) return fs.getMessage();
        if (e instanceof IOException) return e.getMessage();
        if (e instanceof UserException || e instanceof IllegalArgumentException) return e.getMessage();
        return null;
    }
}
