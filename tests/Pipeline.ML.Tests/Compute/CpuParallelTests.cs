using Pipeline.ML.Compute;

namespace Pipeline.ML.Tests.Compute;

[Collection("CpuParallel")]
public sealed class CpuParallelTests : IDisposable
{
    private readonly int _savedThreads = CpuParallel.Threads;

    public void Dispose() => CpuParallel.Threads = _savedThreads;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void For_AnyChunkCount_RunsEveryChunkExactlyOnce(int threads)
    {
        CpuParallel.Threads = threads;
        foreach (var chunks in new[] { 0, 1, 2, 3, 7, 64, 1000 })
        {
            var counts = new int[chunks];
            CpuParallel.For(chunks, new CountBody(counts));
            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void For_TwoThreads_RunsChunksConcurrently()
    {
        CpuParallel.Threads = 2;
        var started = new int[2];
        var met = new bool[2];
        // Each of the two chunks waits (bounded) for the other to start: only true concurrency lets both see it.
        CpuParallel.For(2, new RendezvousBody(started, met));
        Assert.Equal([true, true], met);
    }

    [Fact]
    public void For_ChunkThrows_RethrowsFirstExceptionAndStaysUsable()
    {
        CpuParallel.Threads = 2;
        var error = Assert.Throws<InvalidOperationException>(() => CpuParallel.For(100, new ThrowingBody(37)));
        Assert.Equal("chunk 37 failed", error.Message);

        var counts = new int[100];
        CpuParallel.For(100, new CountBody(counts));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task For_NestedCall_RunsInnerLoopInline()
    {
        CpuParallel.Threads = 2;
        var counts = new int[8 * 16];
        // A deadlock shows as a TimeoutException instead of a hung test run.
        await Task.Run(() => CpuParallel.For(8, new NestedBody(counts, 16))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task For_ManyRapidCallsWhileThreadsChange_RunsEveryChunkOnce()
    {
        // Back-to-back loops leave workers arriving late for a loop that is already over: they must neither run
        // a chunk of the next loop twice nor count one as finished twice (which hangs the caller).
        var total = new long[1];
        long expected = 0;
        await Task.Run(() =>
        {
            for (var call = 0; call < 100_000; call++)
            {
                CpuParallel.Threads = call % 1000 < 500 ? 2 : 1 + (call % 3);
                var chunks = 1 + (call % 5);
                CpuParallel.For(chunks, new SumBody(total));
                expected += chunks * (chunks - 1) / 2;
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, total[0]);
    }

    [Fact]
    public void Threads_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.Threads = 0);
    }

    private readonly struct CountBody(int[] counts) : IParallelBody
    {
        public void Run(int chunk) => Interlocked.Increment(ref counts[chunk]);
    }

    private readonly struct SumBody(long[] total) : IParallelBody
    {
        public void Run(int chunk) => Interlocked.Add(ref total[0], chunk);
    }

    private readonly struct ThrowingBody(int failing) : IParallelBody
    {
        public void Run(int chunk)
        {
            if (chunk == failing)
            {
                throw new InvalidOperationException($"chunk {chunk} failed");
            }
        }
    }

    private readonly struct NestedBody(int[] counts, int inner) : IParallelBody
    {
        public void Run(int chunk) => CpuParallel.For(inner, new OffsetCountBody(counts, chunk * inner));
    }

    private readonly struct OffsetCountBody(int[] counts, int offset) : IParallelBody
    {
        public void Run(int chunk) => Interlocked.Increment(ref counts[offset + chunk]);
    }

    private readonly struct RendezvousBody(int[] started, bool[] met) : IParallelBody
    {
        public void Run(int chunk)
        {
            var flags = started;
            var other = 1 - chunk;
            Volatile.Write(ref flags[chunk], 1);
            met[chunk] = SpinWait.SpinUntil(() => Volatile.Read(ref flags[other]) == 1, TimeSpan.FromSeconds(10));
        }
    }
}
