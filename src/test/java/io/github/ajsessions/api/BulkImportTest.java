package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AjSessionsExtension.class)
class BulkImportTest {

    private static List<MessageRecord> conversation(int size) {
        List<MessageRecord> out = new ArrayList<>();
        for (Preamble.TemplateMessage row : Preamble.defaults().rows()) {
            out.add(MessageRecord.of(row.role(), row.content()));
        }
        for (int i = out.size(); i < size; i++) {
            out.add(MessageRecord.of(i % 2 == 1 ? Role.USER : Role.ASSISTANT, "message " + i + " ünïcødé 数据"));
        }
        return out;
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void importsIntoANewSessionInOrderAcrossBatches(SessionStore store) {
        int size = BulkImport.BATCH_SIZE * 2 + 7;
        long written = store.bulk().importMessages("imported", conversation(size));

        assertThat(written).isEqualTo(size);
        List<MessageRecord> history = store.history("imported");
        assertThat(history).hasSize(size);
        assertThat(history.get(0).role()).isEqualTo(Role.SYSTEM);
        assertThat(history.get(2).content()).isEqualTo(Preamble.ASSISTANT_ACK);
        assertThat(history.get(size - 1).content()).isEqualTo("message " + (size - 1) + " ünïcødé 数据");
        assertThat(history).extracting(MessageRecord::dynamic).containsOnly(false);
        // the session can be continued like any other
        store.appendTurn("imported", "more?", "yes");
        assertThat(store.history("imported")).hasSize(size + 2);
    }

    @Test
    void appendsToAnExistingSessionAfterItsPreamble(SessionStore store) {
        store.findOrCreateSession("s", Preamble.defaults());
        store.bulk().importMessages("s", List.of(MessageRecord.of(Role.USER, "u"), MessageRecord.of(Role.ASSISTANT, "a")));

        assertThat(store.history("s")).extracting(MessageRecord::content).endsWith("u", "a").hasSize(5);
        assertThat(store.listSessions()).hasSize(1);
    }

    @Test
    void refusesRowsThatWouldLeaveAjWithoutItsPreambleAndWritesNothing(SessionStore store) {
        assertThatThrownBy(() -> store.bulk().importMessages("bare",
                List.of(MessageRecord.of(Role.USER, "u"), MessageRecord.of(Role.ASSISTANT, "a"), MessageRecord.of(Role.USER, "v"))))
                .isInstanceOf(MissingPreambleException.class)
                .hasMessageContaining("session 'bare'")
                .hasMessageContaining("[user, assistant, user]")
                .hasMessageContaining("nothing was imported");

        assertThat(store.findSession("bare")).isEmpty();
    }

    @Test
    void rollsBackEverythingOnABadRowLateInTheImport(SessionStore store) {
        List<MessageRecord> rows = conversation(BulkImport.BATCH_SIZE + 10);
        rows.add(MessageRecord.of(Role.USER, "broken \uD800 surrogate"));

        assertThatThrownBy(() -> store.bulk().importMessages("late", rows))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("content of message " + (BulkImport.BATCH_SIZE + 10))
                .hasMessageContaining("unpaired surrogate U+D800");

        assertThat(store.findSession("late")).isEmpty();
        // the store is still usable: no transaction or lock was left behind
        store.findOrCreateSession("after", Preamble.defaults());
        assertThat(store.history("after")).hasSize(3);
    }
}
