package dev.servesim.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClassFileReferencesTest {

    /** Refers to Guice only in a generic signature and to Jackson only in a method descriptor. */
    static final class Sample {
        List<Map<String, Injector>> injectors;

        long[] mapped(ObjectMapper mapper) {
            return new long[] {Long.MAX_VALUE};
        }
    }

    private static byte[] sampleClassFile() throws Exception {
        try (InputStream in = Sample.class.getResourceAsStream("ClassFileReferencesTest$Sample.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void findsThePackagesOfClassEntriesDescriptorsAndGenericSignatures() throws Exception {
        Set<String> packages = new TreeSet<>();

        ClassFileReferences.addPackages(sampleClassFile(), packages);

        assertThat(packages).contains("dev.servesim.runner.plugin", "java.lang", "java.util", "com.google.inject",
                "com.fasterxml.jackson.databind");
    }

    @Test
    void refusesWhatIsNoClassFile() throws Exception {
        byte[] classFile = sampleClassFile();

        assertThatThrownBy(() -> ClassFileReferences.addPackages(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                new TreeSet<>())).isInstanceOf(IllegalArgumentException.class).hasMessage("not a class file");
        assertThatThrownBy(() -> ClassFileReferences.addPackages(Arrays.copyOf(classFile, 40), new TreeSet<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("truncated class file");
    }
}
