package io.gpfo.lifecycle;

/** One precondition of a rejoin or switchover: what was checked, whether it holds, and the detail (the fix when it fails). */
public record Check(String what, boolean ok, String detail) {

    public static Check ok(String what, String detail) {
        return new Check(what, true, detail);
    }

    public static Check failed(String what, String fix) {
        return new Check(what, false, fix);
    }
}
