package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sweep jobs of deploy/ run every shard once: the job's task count, its parallelism and the N of
 * {@code --shard I/N} agree, and the task's index reaches the I. The container image's Dockerfile has the shape CI
 * checks step by step (.ci/run).
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("..").toAbsolutePath().normalize().resolve("deploy");
    private static final Pattern SHARD = Pattern.compile("--shard \"\\$\\(\\(JOB_COMPLETION_INDEX \\+ 1\\)\\)/(\\d+)\"");

    @Test
    void theKubernetesIndexedJobRunsShardOneToNOnceEach() throws Exception {
        JsonNode job = yaml(DEPLOY.resolve("kubernetes/sweep-job.yaml")).get(0);
        JsonNode spec = job.get("spec");

        assertThat(job.get("kind").asText()).isEqualTo("Job");
        assertThat(spec.get("completionMode").asText()).isEqualTo("Indexed");
        int completions = spec.get("completions").asInt();
        assertThat(spec.get("parallelism").asInt()).isEqualTo(completions);
        JsonNode container = spec.at("/template/spec/containers/0");
        String command = container.get("args").get(0).asText();
        // JOB_COMPLETION_INDEX counts from 0, shards from 1
        Matcher shard = SHARD.matcher(command);
        assertThat(shard.find()).as(command).isTrue();
        assertThat(Integer.parseInt(shard.group(1))).isEqualTo(completions);
        assertThat(command).contains("compare ").contains("--out \"/sweep/out/shard-$((JOB_COMPLETION_INDEX + 1))\"");
        assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Never");

        String merge = yaml(DEPLOY.resolve("kubernetes/sweep-merge-job.yaml")).get(0)
                .at("/spec/template/spec/containers/0/args/0").asText();
        assertThat(merge).contains("merge /sweep/out/shard-* --out /sweep/out/sweep");
    }

    @Test
    void theSlurmArrayJobRunsShardOneToNOnceEach() throws Exception {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("slurm/sweep.sbatch"));
        String array = lines.stream().filter(line -> line.startsWith("#SBATCH --array=")).findFirst().orElseThrow();

        // tasks 1..N: the task id is the shard, the task count its N
        assertThat(array).matches("#SBATCH --array=1-\\d+");
        String script = String.join("\n", lines);
        assertThat(script).contains("--shard \"${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}\"")
                .contains("--out \"$OUT/shard-${SLURM_ARRAY_TASK_ID}\"").contains("merge $OUT/shard-*");
        assertThat(Files.isExecutable(DEPLOY.resolve("slurm/sweep.sbatch"))).isTrue();
    }

    @Test
    void theContainerImageRunsTheSelfContainedDistributionAsANonRootUser() throws Exception {
        List<String> instructions = Files.readAllLines(DEPLOY.resolve("container/Dockerfile")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith(" "))
                .map(line -> line.split(" ", 2)[0]).toList();
        String dockerfile = Files.readString(DEPLOY.resolve("container/Dockerfile"));

        // a pinned slim base with glibc (the jlink runtime needs it), never a moving tag
        assertThat(dockerfile).containsPattern("(?m)^FROM debian:[a-z]+-slim$").doesNotContain(":latest");
        // the build context is the image folder: its runtime comes along, no JDK is installed
        assertThat(dockerfile).contains("COPY . /opt/servesim\n", "distribution/target/servesim-image")
                .doesNotContain("apt-get install");
        // the build step (archive, smoke test) runs as root, everything after it as the image's own user
        assertThat(instructions).containsSubsequence("FROM", "COPY", "RUN", "USER", "WORKDIR", "ENTRYPOINT");
        assertThat(dockerfile).containsPattern("(?m)^USER servesim$")
                .containsPattern("(?m)^ENTRYPOINT \\[\"/opt/servesim/bin/servesim\"\\]$");
    }

    private static List<JsonNode> yaml(Path file) throws Exception {
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(file.toFile())) {
            return documents.readAll();
        }
    }
}
