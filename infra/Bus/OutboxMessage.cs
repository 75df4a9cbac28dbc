namespace Pipeline.Infra.Bus;

/// <summary>One event waiting in the outbox.</summary>
/// <param name="Sequence">Position in the outbox; the dispatcher publishes in this order.</param>
/// <param name="MessageId">MassTransit message id, fixed at enqueue so every redelivery carries the same one.</param>
/// <param name="TypeName">The event's CLR type as <c>Namespace.Type, Assembly</c>.</param>
/// <param name="Json">The event, serialized with System.Text.Json.</param>
/// <param name="Attempts">Publish attempts that failed so far.</param>
public sealed record OutboxMessage(long Sequence, Guid MessageId, string TypeName, string Json, int Attempts);
