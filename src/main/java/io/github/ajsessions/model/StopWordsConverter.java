package io.github.ajsessions.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.List;

/**
 * Stores a list of stop words the way aj does: joined with {@code ","}, no escaping, {@code ""} for
 * an empty list.
 *
 * <p>This is lossy, exactly as in aj: a word that contains a comma comes back as two words
 * ({@code ["a,b"]} is stored as {@code "a,b"} and read as {@code ["a", "b"]}), and a list holding one
 * empty word reads back as an empty list. The module keeps aj's format rather than inventing an
 * escape that aj would not undo.
 */
@Converter
public class StopWordsConverter implements AttributeConverter<List<String>, String> {

    @Override
    public String convertToDatabaseColumn(List<String> words) {
        if (words == null || words.isEmpty()) {
            return "";
        }
        return String.join(",", words);
    }

    @Override
    public List<String> convertToEntityAttribute(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        // limit -1 keeps trailing empty words, as Rust's str::split does
        return List.copyOf(Arrays.asList(stored.split(",", -1)));
    }
}
