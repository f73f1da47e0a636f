/**
 * Publishes events to a RabbitMQ (AMQP 0-9-1) broker with amqplib (CONTRACT §8): one connection and one confirm
 * channel per sink, opened on first use and again after any loss; topic exchanges declared durable before the
 * first message on every new channel (so a broker restarted without its definitions gets them back); each
 * message persistent JSON and mandatory, and `publish` resolves only when the broker has confirmed it and routed
 * it to at least one queue. A lost connection, a closed channel, a message no queue is bound for, or a confirm
 * that does not come in time rejects, and the caller (the outbox) retries.
 */
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';

export interface StreamMessage {
  exchange: string;
  routingKey: string;
  /** the event's id: consumers deduplicate on it (delivery is at least once) */
  messageId: string;
  /** when the event happened (ms since the epoch) */
  timestamp: number;
  /** the event's type, also the routing key */
  type: string;
  body: string;
}

export interface PublisherOptions {
  /** to open the TCP connection and the AMQP handshake */
  connectTimeoutMs?: number;
  /** from publish to the broker's confirm */
  confirmTimeoutMs?: number;
  /** AMQP heartbeat (seconds), so a silent broker is noticed */
  heartbeatSeconds?: number;
}

interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  declared: Set<string>;
  /** ids of messages the broker sent back (no queue bound); a return comes before its confirm */
  returned: Set<string>;
}

/** A sink's address as given could not be read; the message never repeats the address (it holds a password). */
export class SinkAddressInvalid extends Error {
  constructor() {
    super("the sink's url is not a valid amqp:// address");
    this.name = 'SinkAddressInvalid';
  }
}

/** The broker address with a heartbeat unless it names one. */
function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

export class AmqpPublisher {
  readonly #url: string;
  readonly #options: Required<PublisherOptions>;
  #link: Promise<Link> | null = null;
  #closed = false;

  constructor(url: string, options: PublisherOptions = {}) {
    this.#options = { connectTimeoutMs: 5_000, confirmTimeoutMs: 10_000, heartbeatSeconds: 15, ...options };
    if (!URL.canParse(url)) throw new SinkAddressInvalid();
    this.#url = withHeartbeat(url, this.#options.heartbeatSeconds);
  }

  /** Declares a durable topic exchange (idempotent: RabbitMQ accepts the same declaration again). */
  async declare(exchange: string): Promise<void> {
    const link = await this.#connect();
    await this.#declareOn(link, exchange);
  }

  /** Publishes one message and waits for the broker's confirm. */
  async publish(message: StreamMessage): Promise<void> {
    const link = await this.#connect();
    await this.#declareOn(link, message.exchange);
    const { confirmTimeoutMs } = this.#options;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // No confirm: the channel is in doubt. Drop it, so the retry starts on a fresh one.
        this.#drop(link);
        reject(new Error(`the broker did not confirm within ${confirmTimeoutMs} ms`));
      }, confirmTimeoutMs);
      try {
        link.channel.publish(
          message.exchange,
          message.routingKey,
          Buffer.from(message.body),
          {
            persistent: true,
            mandatory: true,
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            messageId: message.messageId,
            type: message.type,
            timestamp: Math.floor(message.timestamp / 1000),
            appId: 'promesse',
          },
          (error) => {
            clearTimeout(timer);
            const unroutable = link.returned.delete(message.messageId);
            if (error) reject(error instanceof Error ? error : new Error(`the broker refused: ${String(error)}`));
            else if (unroutable) {
              reject(
                new Error(`no queue is bound to ${message.exchange} for ${message.routingKey}; kept until one is`),
              );
            } else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        this.#drop(link);
        reject(error);
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const link = this.#link;
    this.#link = null;
    if (!link) return;
    const opened = await link.catch(() => null);
    await opened?.connection.close().catch(() => {});
  }

  async #declareOn(link: Link, exchange: string): Promise<void> {
    if (link.declared.has(exchange)) return;
    await link.channel.assertExchange(exchange, 'topic', { durable: true });
    link.declared.add(exchange);
  }

  /** The open link, or a new one. A failed attempt is forgotten, so the next call tries again. */
  #connect(): Promise<Link> {
    if (this.#closed) return Promise.reject(new Error('the publisher is closed'));
    if (this.#link) return this.#link;
    const opening = (async (): Promise<Link> => {
      const connection = await connect(this.#url, { timeout: this.#options.connectTimeoutMs });
      // Listened to at once: an error event without a listener would end the process.
      let link: Link | undefined;
      const lost = () => {
        if (link) this.#drop(link);
      };
      connection.on('close', lost);
      connection.on('error', lost);
      try {
        const channel = await connection.createConfirmChannel();
        link = { connection, channel, declared: new Set(), returned: new Set() };
        const opened = link;
        // Any loss (the broker going away, a channel error such as a deleted exchange) ends this link.
        channel.on('close', lost);
        channel.on('error', lost);
        channel.on('return', (returned: { properties: { messageId?: unknown } }) => {
          opened.returned.add(String(returned.properties.messageId));
        });
        return link;
      } catch (error) {
        await connection.close().catch(() => {});
        throw error;
      }
    })();
    this.#link = opening;
    opening.catch(() => {
      if (this.#link === opening) this.#link = null;
    });
    return opening;
  }

  /** Forgets a link (once), closing what is left of it. */
  #drop(link: Link): void {
    void this.#link?.then(
      (current) => {
        if (current !== link) return;
        this.#link = null;
        link.connection.close().catch(() => {});
      },
      () => {},
    );
  }
}

/**
 * One publisher per merchant's sink: a sink whose channel fails (its exchange deleted, its permissions refused)
 * never fails another's messages.
 */
export class AmqpPublishers {
  readonly #bySink = new Map<string, AmqpPublisher>();
  readonly #options: PublisherOptions;
  #closed = false;

  constructor(options: PublisherOptions = {}) {
    this.#options = options;
  }

  /** The publisher of a merchant's sink (`<merchant>/<sink id>`), at the sink's address. */
  for(sinkKey: string, url: string): AmqpPublisher {
    if (this.#closed) throw new Error('the publishers are closed');
    let publisher = this.#bySink.get(sinkKey);
    if (!publisher) {
      publisher = new AmqpPublisher(url, this.#options);
      this.#bySink.set(sinkKey, publisher);
    }
    return publisher;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#bySink.values()].map((publisher) => publisher.close()));
    this.#bySink.clear();
  }
}
