namespace Pipeline.Infra.Datasets;

/// <summary>What <see cref="DatasetPublisher.PublishAsync"/> did.</summary>
/// <param name="Dataset">The published version as <see cref="DatasetPublisher.ListAsync"/> will show it.</param>
/// <param name="AlreadyPublished">True when the same files were already published under this name and version:
/// nothing new was stored and the existing record (with its original time) was reused.</param>
/// <param name="MessageId">The outbox message id of the <c>DatasetVersionPublished</c> event enqueued by this call.</param>
public sealed record DatasetPublishResult(PublishedDataset Dataset, bool AlreadyPublished, Guid MessageId);
