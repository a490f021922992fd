/**
 * The app's own paths. None may start with an API route's first segment (requests, results,
 * certificates, …): the API answers those, and a reload there would get JSON. apps/api/src/web.spec.ts
 * checks these against the API's document.
 */
export const ROUTES = {
  signIn: '/sign-in',
  desk: '/desk',
  deskNew: '/desk/new',
  deskRequest: (id: string) => `/desk/${id}`,
  work: '/work',
  worksheet: (requestId: string, itemId: string) => `/work/${requestId}/${itemId}`,
  review: '/review',
  reviewResult: (id: string) => `/review/${id}`,
  certs: '/certs',
  customers: '/registry/customers',
  customer: (id: string) => `/registry/customers/${id}`,
  instruments: '/registry/instruments',
  instrument: (id: string) => `/registry/instruments/${id}`,
  types: '/registry/types',
  type: (id: string) => `/registry/types/${id}`,
  /** A type's worksheet template; 'new' creates one. */
  template: (typeId: string, id: string) => `/registry/types/${typeId}/templates/${id}`,
  standards: '/registry/standards',
  standard: (id: string) => `/registry/standards/${id}`,
  due: '/registry/due',
  trail: '/trail',
  staff: '/staff',
  staffMember: (id: string) => `/staff/${id}`,
} as const;

export const ROUTE_SEGMENTS = ['sign-in', 'desk', 'work', 'review', 'certs', 'registry', 'trail', 'staff'];
