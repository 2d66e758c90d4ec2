package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PromptTokensTest {

    private static final PromptContent SYSTEM_AND_A = PromptContent.of(new Segment(11, 40), new Segment(12, 30));
    private static final PromptContent SYSTEM_AND_B = PromptContent.of(new Segment(11, 40), new Segment(13, 30));

    @Test
    void equalContentAtEqualOffsetsIsEqualTokens() {
        int[] a = PromptTokens.of(SYSTEM_AND_A);
        int[] b = PromptTokens.of(SYSTEM_AND_B);

        assertThat(a).hasSize(70);
        assertThat(Arrays.copyOf(a, 40)).isEqualTo(Arrays.copyOf(b, 40));
        assertThat(Arrays.copyOfRange(a, 40, 70)).isNotEqualTo(Arrays.copyOfRange(b, 40, 70));
        // a segment is the first tokens of its content, wherever it sits in the prompt
        assertThat(PromptTokens.of(PromptContent.single(12, 30))).isEqualTo(Arrays.copyOfRange(a, 40, 70));
        assertThat(PromptTokens.of(SYSTEM_AND_A)).as("deterministic").isEqualTo(a);
    }

    @Test
    void tokenIdsStayInTheOrdinaryRangeAndSpreadOverIt() {
        int[] tokens = PromptTokens.of(PromptContent.single(-5, 20_000));

        assertThat(Arrays.stream(tokens).min().orElseThrow()).isGreaterThanOrEqualTo(1000);
        assertThat(Arrays.stream(tokens).max().orElseThrow()).isLessThanOrEqualTo(30_999);
        assertThat(Arrays.stream(tokens).distinct().count()).as("few repeats").isGreaterThan(14_000);
    }

    @Test
    void blocksAreHashedWithFnv1aChainedOverThePreviousHash() {
        int[] tokens = new int[40];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1000 + 7 * i;
        }
        long[] hashes = PromptTokens.blockHashes(tokens);

        // the 8-token tail is not hashed
        assertThat(hashes).hasSize(2);
        assertThat(hashes[0]).isEqualTo(fnv1a(0, Arrays.copyOfRange(tokens, 0, 16)));
        assertThat(hashes[1]).isEqualTo(fnv1a(hashes[0], Arrays.copyOfRange(tokens, 16, 32)));
        assertThat(PromptTokens.blockHashes(new int[15])).isEmpty();
    }

    @Test
    void chainsAgreeExactlyAsFarAsThePromptsShareFullBlocks() {
        long[] a = PromptTokens.blockHashes(PromptTokens.of(SYSTEM_AND_A));
        long[] b = PromptTokens.blockHashes(PromptTokens.of(SYSTEM_AND_B));

        // 40 shared tokens: blocks 0 and 1 are shared, block 2 (tokens 32-47) is not
        assertThat(a).hasSize(4);
        assertThat(Arrays.copyOf(a, 2)).isEqualTo(Arrays.copyOf(b, 2));
        assertThat(a[2]).isNotEqualTo(b[2]);
        assertThat(a[3]).isNotEqualTo(b[3]);
    }

    @Test
    void theKnownFnv1aValuesHold() {
        // FNV-1a 64 of no bytes is the offset basis; of the byte 'a' it is 0xaf63dc4c8601ec8c (the FNV reference)
        assertThat(fnv1a(new byte[0])).isEqualTo(0xcbf29ce484222325L);
        assertThat(fnv1a(new byte[] {'a'})).isEqualTo(0xaf63dc4c8601ec8cL);
    }

    /** The reference: FNV-1a over the previous hash (8 bytes) and the tokens (4 bytes each), little-endian. */
    private static long fnv1a(long previous, int[] tokens) {
        ByteBuffer bytes = ByteBuffer.allocate(8 + 4 * tokens.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(previous);
        for (int token : tokens) {
            bytes.putInt(token);
        }
        return fnv1a(bytes.array());
    }

    private static long fnv1a(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
