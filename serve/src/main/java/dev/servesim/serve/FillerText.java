package dev.servesim.serve;

import java.util.List;

/**
 * The text of generated tokens: the simulator decides how many tokens a request gets and when, not which, so each
 * output token is a filler word picked by its position. Every word is four ASCII characters with its leading space,
 * hence exactly one {@link ApproximateTokenizer} token: the text of {@code n} tokens tokenizes back to {@code n}
 * tokens. The same position gives the same word in every request and run.
 */
final class FillerText {

    private static final List<String> WORDS = List.of(" the", " and", " for", " are", " but", " not", " you",
            " all", " any", " can", " had", " her", " was", " one", " our", " out", " day", " get", " has", " him",
            " his", " how", " man", " new", " now", " old", " see", " two", " way", " who", " boy", " did", " its",
            " let", " put", " say", " she", " too", " use", " sun", " sea", " sky", " air", " map", " key", " row",
            " set", " run", " top", " end", " far", " few", " own", " big", " low", " red", " yes", " yet", " ago",
            " art", " car", " dog", " eye", " job");

    private FillerText() {}

    /** The text of output tokens {@code first .. first+count-1} (0-based positions in the output). */
    static String of(int first, int count) {
        StringBuilder text = new StringBuilder(4 * count);
        for (int position = first; position < first + count; position++) {
            // a multiplicative hash of the position: consecutive words differ, with no visible period
            text.append(WORDS.get((int) ((position * 0x9E3779B97F4A7C15L) >>> 58)));
        }
        return text.toString();
    }
}
