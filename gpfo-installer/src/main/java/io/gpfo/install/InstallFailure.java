package io.gpfo.install;

/** A step failed; the steps before it on that host were done, nothing after it was tried. */
public final class InstallFailure extends Exception {

    private final String host;
    private final Step step;
    private final int done;
    private final int changed;

    public InstallFailure(String host, Step step, int done, int changed, String why) {
        super(why);
        this.host = host;
        this.step = step;
        this.done = done;
        this.changed = changed;
    }

    public String host() {
        return host;
    }

    public Step step() {
        return step;
    }

    /** Steps done on this host before the failed one. */
    public int done() {
        return done;
    }

    /** Of those, how many changed something. */
    public int changed() {
        return changed;
    }
}
