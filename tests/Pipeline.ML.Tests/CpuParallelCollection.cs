namespace Pipeline.ML.Tests;

[CollectionDefinition("CpuParallel", DisableParallelization = true)]
public sealed class CpuParallelCollection;
