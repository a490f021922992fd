/**
 * The screens' code, one chunk each: the first load carries the shell and the sign-in only. A loader
 * imports its chunk once and keeps the module, so a screen started early (`prefetchRoute`) renders
 * at once. No React here: this module is part of the entry, which runs before React is loaded.
 */
export interface Loader<M> {
  load(): Promise<M>;
  /** The module, once loaded. */
  module: M | null;
}

function loader<M>(importer: () => Promise<M>): Loader<M> {
  let promise: Promise<M> | null = null;
  const l: Loader<M> = {
    module: null,
    load: () => (promise ??= importer().then((m) => (l.module = m))),
  };
  return l;
}

export const loaders = {
  signIn: loader(() => import('../features/sign-in/SignInPage')),
  inbox: loader(() => import('../features/reception/InboxPage')),
  request: loader(() => import('../features/reception/RequestPage')),
  newRequest: loader(() => import('../features/reception/NewRequestPage')),
  workList: loader(() => import('../features/worklist/WorkListPage')),
  worksheet: loader(() => import('../features/worksheet/WorksheetPage')),
  reviewQueue: loader(() => import('../features/review/ReviewQueuePage')),
  reviewResult: loader(() => import('../features/review/ReviewResultPage')),
  certificates: loader(() => import('../features/certificates/CertificatesPage')),
  customers: loader(() => import('../features/customers/CustomersPage')),
  customer: loader(() => import('../features/customers/CustomerPage')),
  instruments: loader(() => import('../features/instruments/InstrumentsPage')),
  instrument: loader(() => import('../features/instruments/InstrumentPage')),
  types: loader(() => import('../features/catalogue/CataloguePage')),
  type: loader(() => import('../features/catalogue/TypePage')),
  standards: loader(() => import('../features/standards/StandardsPage')),
  standard: loader(() => import('../features/standards/StandardPage')),
  due: loader(() => import('../features/due-list/DueListPage')),
  trail: loader(() => import('../features/audit-trail/AuditPage')),
  staff: loader(() => import('../features/staff/StaffPage')),
  staffMember: loader(() => import('../features/staff/StaffMemberPage')),
  template: loader(() => import('../features/templates/TemplatePage')),
};
export type ScreenName = keyof typeof loaders;

/** The screen an address opens (as App.tsx routes it), if any. */
export function screenOf(pathname: string): ScreenName | undefined {
  const [first, second, third, fourth] = pathname.split('/').slice(1);
  const registry: Record<string, ScreenName> = {
    customers: third ? 'customer' : 'customers',
    instruments: third ? 'instrument' : 'instruments',
    types: fourth ? 'template' : third ? 'type' : 'types',
    standards: third ? 'standard' : 'standards',
    due: 'due',
  };
  const top: Record<string, ScreenName | undefined> = {
    desk: second === 'new' ? 'newRequest' : second ? 'request' : 'inbox',
    work: third ? 'worksheet' : 'workList',
    review: second ? 'reviewResult' : 'reviewQueue',
    certs: 'certificates',
    trail: 'trail',
    staff: second ? 'staffMember' : 'staff',
    registry: registry[second ?? ''],
  };
  return top[first ?? ''];
}
