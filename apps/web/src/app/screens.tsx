import { lazy, useState, type ComponentType } from 'react';
import { loaders, type Loader } from './loaders';

/**
 * A screen component from its loader: rendered at once when its code is already loaded (started
 * early by `prefetchRoute`), else through React.lazy, which would suspend even then: a loader
 * committed, then the screen rendered a second time.
 */
function screen<P extends object>(loader: Loader<{ default: ComponentType<P> }>): ComponentType<P> {
  const Lazy = lazy(loader.load);
  return function Screen(props: P) {
    // Chosen once per mount: switching from Lazy to the module later would remount the screen.
    const [Component] = useState<ComponentType<P>>(() => loader.module?.default ?? Lazy);
    return <Component {...props} />;
  };
}

export const SignIn = screen(loaders.signIn);
export const Inbox = screen(loaders.inbox);
export const RequestPage = screen(loaders.request);
export const NewRequest = screen(loaders.newRequest);
export const WorkList = screen(loaders.workList);
export const Worksheet = screen(loaders.worksheet);
export const ReviewQueue = screen(loaders.reviewQueue);
export const ReviewResult = screen(loaders.reviewResult);
export const Certificates = screen(loaders.certificates);
export const Customers = screen(loaders.customers);
export const Customer = screen(loaders.customer);
export const Instruments = screen(loaders.instruments);
export const Instrument = screen(loaders.instrument);
export const Types = screen(loaders.types);
export const Type = screen(loaders.type);
export const Standards = screen(loaders.standards);
export const Standard = screen(loaders.standard);
export const DueList = screen(loaders.due);
export const Trail = screen(loaders.trail);
export const Staff = screen(loaders.staff);
export const StaffMember = screen(loaders.staffMember);
export const Template = screen(loaders.template);
