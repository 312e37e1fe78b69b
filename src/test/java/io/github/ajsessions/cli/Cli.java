package io.github.ajsessions.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in-process with captured output; remembers everything printed, for the secret scan. */
final class Cli {

    /** One run: exit code, standard output, standard error. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final List<Result> history = new ArrayList<>();

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AjSessionsCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        Result r = new Result(code, out.toString(), err.toString());
        history.add(r);
        return r;
    }

    /** @return everything every run printed so far */
    String everything() {
        StringBuilder b = new StringBuilder();
        history.forEach(r -> b.append(r.all()));
        return b.toString();
    }
}
