/** The {@code servesim} command line. The only module that reads arguments, system properties and the environment. */
module dev.servesim.cli {
    requires dev.servesim.runner;
    requires dev.servesim.serve;
    requires dev.servesim.calibration;
    requires dev.servesim.loadgen;
    requires dev.servesim.planner;
    requires info.picocli;
    requires java.logging;

    opens dev.servesim.cli to info.picocli;
}
