package io.gpfo.install;

/** Owner, group and permission bits a file or directory must have. */
public record Attributes(String owner, String group, int mode) {

    public Attributes {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("not a mode: " + Integer.toOctalString(mode));
        }
    }

    public static Attributes root(int mode) {
        return new Attributes("root", "root", mode);
    }

    /** {@code root:gpadmin 0640}, as plans and step lines print it. */
    @Override
    public String toString() {
        return owner + ":" + group + " " + octal(mode);
    }

    public static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
