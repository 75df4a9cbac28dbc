using Xunit.Abstractions;

namespace Pipeline.ML.Tests.Tasks;

public class AdditionTaskTests(ITestOutputHelper output)
{
    [Fact]
    public void TrainSft_LearnsTheTaskWithTheCarryFlaw()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = AdditionTask.TrainSft();
        var carry = AdditionTask.Facts.Where(f => f.Carry).ToList();
        var plain = AdditionTask.Facts.Where(f => !f.Carry).ToList();
        var accCarry = AdditionTask.Accuracy(model, carry);
        var accPlain = AdditionTask.Accuracy(model, plain);
        output.WriteLine($"sft {clock.Elapsed.TotalSeconds:F1}s plain {accPlain:P1} carry {accCarry:P1} heldout {AdditionTask.Accuracy(model, AdditionTask.HeldOut):P1}");
        Assert.True(accPlain > 0.9, $"non-carry accuracy {accPlain:P1}");
        Assert.True(accCarry < 0.5, $"carry accuracy {accCarry:P1}");
    }
}
