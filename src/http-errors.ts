/** Errors a route may throw to end a request with a specific page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Answered as "Page not found", exactly like a path that does not exist: invisible records leak nothing. */
export class NotFound extends HttpError {
  constructor() {
    super(404, 'Not found')
  }
}

export class BadRequest extends HttpError {
  constructor(message = 'Bad request') {
    super(400, message)
  }
}

/** Someone else saved the record after this person opened it. */
export class ConcurrencyConflict extends HttpError {
  /** `what` names the record in the page's heading ("This case changed since you opened it"). */
  constructor(
    readonly returnTo: string,
    readonly what: 'record' | 'case' | 'meeting' | 'person' = 'record',
  ) {
    super(409, 'Conflict')
  }
}

/** The case was disposed of under the retention rules: only its reference and the date remain. */
export class RecordDisposed extends HttpError {
  constructor(
    readonly reference: string,
    readonly disposedAt: Date,
  ) {
    super(410, 'Gone')
  }
}
