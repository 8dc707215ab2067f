package dev.microdiffusion.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import javax.tools.ToolProvider;

/** The JDK's compiler run from a test, its messages kept for the assertion's text. */
final class Javac {

    /** What one compilation said, and whether it succeeded. */
    record Result(int exitCode, String messages) {
    }

    private Javac() {
    }

    static Result run(String... args) {
        Writer errors = new StringWriter();
        PrintStream err = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                errors.write(b);
            }
        }, true, StandardCharsets.UTF_8);
        int code = ToolProvider.getSystemJavaCompiler().run(null, null, err, args);
        return new Result(code, errors.toString());
    }
}
