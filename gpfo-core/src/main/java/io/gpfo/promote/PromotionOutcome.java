package io.gpfo.promote;

import java.util.List;

/** How a promotion ended, with the evidence it used and what the operator should do next. */
public record PromotionOutcome(Result result, String message, List<String> evidence) {

    public enum Result {
        /** The standby is the new primary (the VIP may still need attention: see message). */
        PROMOTED,
        /** Not tried: doing it could make two coordinators or lose data. Nothing changed. */
        REFUSED,
        /** Tried and failed; the message says what state things are in and what to do. */
        FAILED
    }

    public static PromotionOutcome refused(String message, List<String> evidence) {
        return new PromotionOutcome(Result.REFUSED, message, List.copyOf(evidence));
    }

    public static PromotionOutcome failed(String message, List<String> evidence) {
        return new PromotionOutcome(Result.FAILED, message, List.copyOf(evidence));
    }
}
