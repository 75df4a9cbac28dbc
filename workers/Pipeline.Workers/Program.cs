using Pipeline.Workers.Cli;

// `pipeline`: the operator's executable. `pipeline server` runs the workers (and later the rest of the system);
// `pipeline workflow ...` starts and inspects runs. The verbs live in Cli/, the long-running wiring in Hosting/.
return await PipelineCli.RunAsync(args);
