namespace Pipeline.ML.Training;

/// <summary>
/// One row of the run's log history, with TRL's metric names: loss, mean_token_accuracy, num_tokens, learning_rate,
/// grad_norm, epoch, tokens_per_second; eval_loss and eval_mean_token_accuracy on evaluation rows.
/// </summary>
public sealed record TrainingLog(long Step, IReadOnlyDictionary<string, double> Values);
