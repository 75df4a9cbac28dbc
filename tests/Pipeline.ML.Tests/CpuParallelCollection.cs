namespace Pipeline.ML.Tests;

/// <summary>
/// Tests that set the process-wide <see cref="Pipeline.ML.Compute.CpuParallel.Threads"/> run alone, after the
/// parallel ones, so no other test changes the thread count under them.
/// </summary>
[CollectionDefinition("CpuParallel", DisableParallelization = true)]
public sealed class CpuParallelCollection;
