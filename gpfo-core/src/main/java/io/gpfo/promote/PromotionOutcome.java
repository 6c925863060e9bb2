package io.gpfo.promote;

import java.util.List;

/** How a promotion ended, the evidence it used, what the operator should do next, and whether the old coordinator was fenced. */
public record PromotionOutcome(Result result, String message, List<String> evidence, boolean peerFenced) {

    public enum Result {
        /** The standby is the new primary (the VIP may still need attention: see message). */
        PROMOTED,
        /** The standby is the new primary, but the VIP could not be brought up. */
        PROMOTED_WITHOUT_VIP,
        /** Not tried: doing it could make two coordinators or lose data. Nothing changed. */
        REFUSED,
        /** Tried and failed; the message says what state things are in and what to do. */
        FAILED
    }

    /** The standby is the primary now, with or without the VIP. */
    public boolean promoted() {
        return switch (result) {
            case PROMOTED, PROMOTED_WITHOUT_VIP -> true;
            case REFUSED, FAILED -> false;
        };
    }

    public static PromotionOutcome refused(String message, List<String> evidence) {
        return new PromotionOutcome(Result.REFUSED, message, List.copyOf(evidence), false);
    }

    public static PromotionOutcome failed(String message, List<String> evidence) {
        return new PromotionOutcome(Result.FAILED, message, List.copyOf(evidence), false);
    }
}
