package io.gpfo.check;

/** One preflight check: its verdict, what was found, and how to fix it when it is not OK. */
public record CheckResult(Status status, String name, String detail, String fix) {

    public enum Status {
        OK, WARN, FAIL,
        /** Not run because something it needs failed first; listed so a summary never hides what was not checked. */
        SKIP
    }

    public static CheckResult ok(String name, String detail) {
        return new CheckResult(Status.OK, name, detail, "");
    }

    public static CheckResult warn(String name, String detail, String fix) {
        return new CheckResult(Status.WARN, name, detail, fix);
    }

    public static CheckResult fail(String name, String detail, String fix) {
        return new CheckResult(Status.FAIL, name, detail, fix);
    }

    public static CheckResult skip(String name, String why) {
        return new CheckResult(Status.SKIP, name, why, "");
    }

    /** {@code FAIL  interface     ens160 not found: … — fix: …}, one line for a terminal or a log. */
    public String line() {
        String text = String.format("%-4s  %-18s %s", status, name, detail);
        return fix.isEmpty() ? text : text + " — fix: " + fix;
    }
}
