package io.github.ajsessions.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** aj's stop-word format, with the lossiness it has in aj too. */
class StopWordsConverterTest {

    private final StopWordsConverter converter = new StopWordsConverter();

    @Test
    void joinsWithCommasAsAjDoes() {
        assertThat(converter.convertToDatabaseColumn(List.of("<|eot_id|>", "User:"))).isEqualTo("<|eot_id|>,User:");
        assertThat(converter.convertToDatabaseColumn(List.of())).isEqualTo("");
        assertThat(converter.convertToDatabaseColumn(null)).isEqualTo("");
        assertThat(converter.convertToEntityAttribute("<|eot_id|>,User:")).containsExactly("<|eot_id|>", "User:");
        assertThat(converter.convertToEntityAttribute("")).isEmpty();
    }

    @Test
    void aWordWithACommaComesBackAsTwoAndALoneEmptyWordIsLost() {
        assertThat(converter.convertToEntityAttribute(converter.convertToDatabaseColumn(List.of("a,b", "c"))))
                .containsExactly("a", "b", "c");
        assertThat(converter.convertToEntityAttribute(converter.convertToDatabaseColumn(List.of("")))).isEmpty();
        // empty words between or after others survive, as with Rust's split(',')
        assertThat(converter.convertToEntityAttribute("a,,b,")).containsExactly("a", "", "b", "");
    }
}
