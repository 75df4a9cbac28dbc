namespace Pipeline.ML.Compute;

/// <summary>
/// The work of one parallel loop: <see cref="Run"/> is called once for every chunk index in [0, chunks).
/// Chunks must be independent (no two write the same element), which is what keeps results bit-identical
/// for a given thread count. Implemented by structs holding raw pointers, so a loop allocates nothing.
/// </summary>
public interface IParallelBody
{
    void Run(int chunk);
}
