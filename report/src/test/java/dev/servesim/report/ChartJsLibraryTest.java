package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartJsLibraryTest {
    @Test
    void comesFromTheWebjarModuleOnTheModulePath() {
        Module self = HtmlReport.class.getModule();

        assertThat(self.isNamed()).isTrue();
        assertThat(self.getLayer().findModule(ChartJsLibrary.MODULE))
                .hasValueSatisfying(module -> assertThat(module.getDescriptor().isAutomatic()).isTrue());
        assertThat(self.canRead(self.getLayer().findModule(ChartJsLibrary.MODULE).orElseThrow())).isTrue();
    }

    @Test
    void loadsTheUmdBuildAndItsLicense() {
        ChartJsLibrary library = ChartJsLibrary.load();

        assertThat(library.script()).startsWith("/*!\n * Chart.js v4.4.1").contains("window.Chart=")
                .doesNotContain("sourceMappingURL");
        assertThat(library.script().length()).isGreaterThan(150_000);
        assertThat(library.license()).startsWith("Chart.js 4.4.1, included below:\n\nThe MIT License (MIT)")
                .endsWith("OR OTHER DEALINGS IN THE SOFTWARE.");
    }

    @Test
    void dropsOnlyTheSourceMapReference() {
        assertThat(ChartJsLibrary.withoutSourceMap("/*! banner */\ncode();\n//# sourceMappingURL=x.js.map\n"))
                .isEqualTo("/*! banner */\ncode();");
        assertThat(ChartJsLibrary.withoutSourceMap("code();\n")).isEqualTo("code();");
    }
}
