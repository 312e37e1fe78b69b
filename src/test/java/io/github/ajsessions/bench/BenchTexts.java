package io.github.ajsessions.bench;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.model.Role;
import java.util.SplittableRandom;

/**
 * The seeded message generator every benchmark shares, so that the module and its baselines write and
 * read the same text. Lengths follow a chat: 75 % short (10 to 300 characters), 22 % medium (300 to
 * 1,500), 3 % long (2,000 to 8,000, pasted code or a long answer); mean about 470 characters.
 * Text is cut from a pool of pseudo-words, so it is varied but cheap to produce.
 */
final class BenchTexts {

    /** The seed of every generated data set. */
    static final long SEED = 20261128L;

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "su", "ta", "re", "vo", "pi", "an", "el",
        "or", "ush", "tri", "qua", "zen", "bor", "lin", "ex", "do", "ç", "é", "ü", "→", "数", "据"};
    private static final int POOL_CHARS = 1 << 20;
    private static final String POOL = buildPool();

    private final SplittableRandom random;

    BenchTexts(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private static String buildPool() {
        SplittableRandom r = new SplittableRandom(SEED);
        StringBuilder sb = new StringBuilder(POOL_CHARS + 64);
        while (sb.length() < POOL_CHARS) {
            int syllables = 1 + r.nextInt(4);
            for (int i = 0; i < syllables; i++) {
                sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            int p = r.nextInt(20);
            sb.append(p == 0 ? ". " : p == 1 ? ", " : p == 2 ? "\n" : " ");
        }
        return sb.toString();
    }

    /** @return the next message length in characters */
    int nextLength() {
        int bucket = random.nextInt(100);
        if (bucket < 75) {
            return 10 + random.nextInt(291);
        }
        if (bucket < 97) {
            return 300 + random.nextInt(1_201);
        }
        return 2_000 + random.nextInt(6_001);
    }

    /** @return the next message text */
    String next() {
        int length = nextLength();
        int start = random.nextInt(POOL_CHARS - length);
        return POOL.substring(start, start + length);
    }

    /**
     * The role of message {@code index} of a conversation: aj's default preamble (system, user,
     * assistant), then user and assistant turns.
     */
    static Role roleAt(int index) {
        if (index == 0) {
            return Role.SYSTEM;
        }
        return index % 2 == 1 ? Role.USER : Role.ASSISTANT;
    }

    /** @return the text of message {@code index}: the default preamble's for 0 to 2, else generated */
    String textAt(int index) {
        if (index < 3) {
            return Preamble.defaults().rows().get(index).content();
        }
        return next();
    }
}
