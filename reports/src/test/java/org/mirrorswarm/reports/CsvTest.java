package org.mirrorswarm.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting both ways. */
class CsvTest {
    @Test
    void fieldsWithCommasQuotesAndLineBreaksRoundTrip() {
        List<String> fields = List.of("plain", "a,b", "say \"hi\"", "two\nlines", "");
        String line = Csv.line(fields);
        assertThat(line).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",");
        assertThat(Csv.parse(line + "\n", "x.csv")).containsExactly(fields);
    }

    @Test
    void malformedTextNamesTheFileAndLine() {
        assertThatThrownBy(() -> Csv.parse("a,b\nc,\"open\n", "results.csv"))
                .hasMessageStartingWith("results.csv:").hasMessageContaining("not closed");
        assertThatThrownBy(() -> Csv.parse("a,b\nc,d\"e\n", "results.csv"))
                .hasMessageStartingWith("results.csv:2:");
    }
}
