using Pipeline.ML.Ops;

namespace Pipeline.ML.Training;

/// <summary>Sums loss, targets and correct predictions between two log rows, so a logged loss is the token mean over its window.</summary>
internal sealed class LossWindow
{
    private double _lossSum;
    private long _count;
    private long _correct;
    private double _stepLoss;
    private long _stepCount;

    public double LastLoss { get; private set; }

    public long TokensSinceStart { get; private set; }

    public void Add(CrossEntropyStats stats)
    {
        _lossSum += stats.LossSum;
        _count += stats.Count;
        _correct += stats.Correct;
        _stepLoss += stats.LossSum;
        _stepCount += stats.Count;
    }

    public void AddTokens(long tokens)
    {
        TokensSinceStart += tokens;
        LastLoss = _stepCount == 0 ? 0 : _stepLoss / _stepCount;
        _stepLoss = 0;
        _stepCount = 0;
    }

    public TrainingLog Flush(double lr, double gradNorm, long numTokens, double epoch, double tokensPerSecond)
    {
        var row = new Dictionary<string, double>
        {
            ["loss"] = _count == 0 ? 0 : _lossSum / _count,
            ["mean_token_accuracy"] = _count == 0 ? 0 : (double)_correct / _count,
            ["num_tokens"] = numTokens,
            ["learning_rate"] = lr,
            ["grad_norm"] = gradNorm,
            ["epoch"] = epoch,
            ["tokens_per_second"] = tokensPerSecond,
        };
        _lossSum = 0;
        _count = 0;
        _correct = 0;
        return new TrainingLog(0, row);
    }
}
