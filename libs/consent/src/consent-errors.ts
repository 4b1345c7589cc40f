/** The person is not known to the service (HTTP 404). */
export class PersonNotFound extends Error {
  constructor() {
    super('person not found');
    this.name = 'PersonNotFound';
  }
}
