package dev.servesim.cache;

/** Sessions from least to most recently used, as an intrusive doubly linked list through {@link SessionEntry}. */
final class SessionRecency {

    private SessionEntry leastRecent;
    private SessionEntry mostRecent;
    private int size;

    SessionEntry leastRecent() {
        return leastRecent;
    }

    int size() {
        return size;
    }

    /** Moves {@code session} to the most recently used end, adding it if it is not listed. */
    void touch(SessionEntry session) {
        if (session == mostRecent) {
            return;
        }
        remove(session);
        session.lessRecent = mostRecent;
        session.moreRecent = null;
        if (mostRecent == null) {
            leastRecent = session;
        } else {
            mostRecent.moreRecent = session;
        }
        mostRecent = session;
        size++;
    }

    /** Takes {@code session} out of the list; nothing happens if it is not listed. */
    void remove(SessionEntry session) {
        if (session.lessRecent == null && session != leastRecent) {
            return;
        }
        if (session.lessRecent == null) {
            leastRecent = session.moreRecent;
        } else {
            session.lessRecent.moreRecent = session.moreRecent;
        }
        if (session.moreRecent == null) {
            mostRecent = session.lessRecent;
        } else {
            session.moreRecent.lessRecent = session.lessRecent;
        }
        session.lessRecent = null;
        session.moreRecent = null;
        size--;
    }
}
