package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PageTemplateTest {
    @Test
    void fillsPlaceholdersInOnePass() {
        String filled = PageTemplate.fill("<p>@@A@@|@@B@@</p>", Map.of("A", "@@B@@", "B", "b"));

        assertThat(filled).isEqualTo("<p>@@B@@|b</p>");
    }

    @Test
    void unknownOrOpenPlaceholdersFail() {
        assertThatThrownBy(() -> PageTemplate.fill("@@C@@", Map.of("A", "a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@@C@@");
        assertThatThrownBy(() -> PageTemplate.fill("x @@C", Map.of())).hasMessageContaining("unterminated");
    }

    @Test
    void escapesHtml() {
        assertThat(PageTemplate.escapeHtml("<a href='x'>\"&\"</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    }

    @Test
    void everyTemplateResourceIsThere() {
        for (String name : new String[] {"page.html", "run-sections.html", "compare-sections.html", "report.css",
                "report.js"}) {
            assertThat(PageTemplate.resource(name)).as(name).isNotBlank();
        }
    }
}
