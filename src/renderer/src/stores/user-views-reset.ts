import { useContacts } from './contacts-store';
import { useHistory } from './history-store';
import { useReview } from './review-store';

// What one user typed into a search or picked in a filter is theirs: the next user who signs
// in on this desk starts from the unfiltered lists. Versions move on, so an answer still on
// its way for the last user's query is dropped rather than shown.
export function resetUserViews(): void {
  useContacts.setState({ ...useContacts.getInitialState(), version: useContacts.getState().version + 1 }, true);
  useHistory.setState({ ...useHistory.getInitialState(), version: useHistory.getState().version + 1 }, true);
  useReview.setState(useReview.getInitialState(), true);
}
