package dev.servesim.api.request;

/** How a request ended. */
public enum RequestStatus {
    /** All of its output tokens were generated. */
    COMPLETED,
    /** The engine refused it (see the record's reason). */
    REJECTED,
    /** Still waiting or running when the run stopped (horizon reached or interrupted). */
    UNFINISHED
}
