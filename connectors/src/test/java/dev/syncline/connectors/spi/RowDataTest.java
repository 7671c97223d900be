package dev.syncline.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowDataTest {

    @Test
    void behavesAsTheMapOfItsFieldsInOrder() throws Exception {
        RowData.Layout layout = new RowData.Layout(List.of("id", "email", "note"));
        RowData row = new RowData(layout, new Object[] {1L, "a@example.com", null});
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("id", 1L);
        same.put("email", "a@example.com");
        same.put("note", null);

        assertThat(row).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(row.keySet()).containsExactly("id", "email", "note");
        assertThat(row.get("email")).isEqualTo("a@example.com");
        assertThat(row.get("missing")).isNull();
        assertThat(row.containsKey("note")).isTrue();
        assertThat(row.containsKey("missing")).isFalse();
        assertThat(new ObjectMapper().writeValueAsString(row)).isEqualTo("{\"id\":1,\"email\":\"a@example.com\",\"note\":null}");
        assertThat(row.value(layout.positions(List.of("note", "missing", "id"))[2])).isEqualTo(1L);
        assertThat(layout.positions(List.of("note", "missing", "id"))).containsExactly(2, -1, 0);
        assertThat(row.value(-1)).isNull();
        assertThatThrownBy(() -> row.put("id", 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new RowData(layout, new Object[2])).isInstanceOf(IllegalArgumentException.class);
    }
}
