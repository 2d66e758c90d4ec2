package dev.servesim.testing.conformance;

/**
 * A plugin (or the engine driving it) broke the contract documented in {@code dev.servesim.api}. Thrown at the call
 * that broke it, so the run stops there and the kit reports the first violation with the run it happened in.
 */
public final class ContractViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContractViolation(String message) {
        super(message);
    }
}
