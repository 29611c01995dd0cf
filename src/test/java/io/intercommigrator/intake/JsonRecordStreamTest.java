package io.intercommigrator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRecordStreamTest {

    @TempDir
    Path dir;

    @Test
    void streamsTheSessionArrayOfAnObject() throws IOException {
        Path file = write("chats.json", """
                {"meta": {"exported": "2026-03-01"},
                 "session": [
                  {"chat_id": "c1", "start_time": "1741000000000",
                   "messages": [{"from": "visitor", "text": "hi"}]},
                  {"chat_id": "c2"}
                 ],
                 "after": true}
                """);
        List<JsonRecord> records = readAll(file, "chats.json", "session");
        assertThat(records).extracting(JsonRecord::index).containsExactly(0, 1);
        assertThat(records).extracting(JsonRecord::line).containsExactly(3L, 5L);
        assertThat(records.get(0).node().path("messages").get(0).path("text").asText()).isEqualTo("hi");
        assertThat(records.get(1).node().path("chat_id").asText()).isEqualTo("c2");
        assertThat(records).allSatisfy(record -> assertThat(record.file()).isEqualTo("chats.json"));
    }

    @Test
    void streamsATopLevelArrayWithBom() throws IOException {
        Path file = dir.resolve("campaigns.json");
        byte[] json = "[\n{\"id\": 1},\n{\"id\": 2}\n]".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Files.write(file, withBom);
        assertThat(readAll(file, "campaigns.json", null)).extracting(r -> r.node().path("id").asInt()).containsExactly(1, 2);
        assertThat(readAll(file, "campaigns.json", "session")).hasSize(2);
    }

    @Test
    void streamsManyEntriesInBoundedMemory() throws IOException {
        Path file = dir.resolve("big.json");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("{\"session\":[");
            for (int i = 0; i < 100_000; i++) {
                out.write((i == 0 ? "" : ",") + "\n{\"chat_id\":\"" + i + "\",\"text\":\"" + "x".repeat(500) + "\"}");
            }
            out.write("]}");
        }
        long count = 0;
        try (JsonRecordStream stream = JsonRecordStream.open(file, "big.json", "session")) {
            while (stream.hasNext()) {
                assertThat(stream.next().line()).isEqualTo(count + 2);
                count++;
            }
        }
        assertThat(count).isEqualTo(100_000);
    }

    @Test
    void refusesOtherShapesNamingWhatWasFound() throws IOException {
        assertThatThrownBy(() -> readAll(write("chats.json", "\"hello\""), "chats.json", "session"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("chats.json: expected a JSON object with an array field \"session\" or a top-level array; found a JSON string");
        assertThatThrownBy(() -> readAll(write("chats.json", "{\"sessions\": [], \"total\": 0}"), "chats.json", "session"))
                .hasMessage("chats.json: expected a JSON object with an array field \"session\" or a top-level array;"
                        + " found a JSON object without it (fields: sessions, total)");
        assertThatThrownBy(() -> readAll(write("chats.json", "{\"session\": {}}"), "chats.json", "session"))
                .hasMessage("chats.json: expected a JSON object with an array field \"session\" or a top-level array;"
                        + " found field \"session\" holding a JSON object");
        assertThatThrownBy(() -> readAll(write("campaigns.json", "{\"id\": 1}"), "campaigns.json", null))
                .hasMessage("campaigns.json: expected a top-level JSON array; found a JSON object");
        assertThatThrownBy(() -> readAll(write("campaigns.json", ""), "campaigns.json", null))
                .hasMessage("campaigns.json: expected a top-level JSON array; found an empty file");
    }

    @Test
    void anEntryThatIsNotAnObjectIsHandedOnWithItsPlaceSoTheEntriesAfterItStillMove() throws IOException {
        List<JsonRecord> records = readAll(write("campaigns.json", "[{\"id\": 1},\n 5,\n [\"a\", {\"b\": 2}],\n {\"id\": 4}]"),
                "campaigns.json", null);
        assertThat(records).extracting(JsonRecord::index).containsExactly(0, 1, 2, 3);
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(JsonRecordStream.describe(records.get(1).node())).isEqualTo("a JSON number");
        assertThat(JsonRecordStream.describe(records.get(2).node())).isEqualTo("a JSON array");
        assertThat(records.get(3).node().path("id").asInt()).isEqualTo(4);
    }

    @Test
    void syntaxErrorNamesLineColumnAndEntriesRead() throws IOException {
        Path file = write("chats.json", """
                {"session": [
                  {"chat_id": "c1"},
                  {"chat_id": "c2",, "x": 1}
                ]}
                """);
        List<JsonRecord> before = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (JsonRecordStream stream = JsonRecordStream.open(file, "chats.json", "session")) {
                stream.forEachRemaining(before::add);
            }
        }).isInstanceOf(InputRefusedException.class)
                .hasMessageStartingWith("chats.json: JSON syntax error at line 3, column 20 after 1 entries were read: Unexpected character (',' ");
        assertThat(before).hasSize(1);
        assertThatThrownBy(() -> readAll(write("cut.json", "[{\"id\": 1},\n{\"id\": "), "cut.json", null))
                .hasMessageStartingWith("cut.json: JSON syntax error at line 2, column 8 after 1 entries were read: Unexpected end-of-input");
        assertThatThrownBy(() -> readAll(write("bad.json", "{oops}"), "bad.json", "session"))
                .hasMessageStartingWith("bad.json: JSON syntax error at line 1, column 2 after 0 entries were read");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static List<JsonRecord> readAll(Path file, String name, String arrayField) throws IOException {
        List<JsonRecord> records = new ArrayList<>();
        try (JsonRecordStream stream = JsonRecordStream.open(file, name, arrayField)) {
            stream.forEachRemaining(records::add);
        }
        return records;
    }
}
