// Questions asked one after another (a preview for each option the user flips), whose
// answers may arrive in any order: only the newest question's answer is delivered, so an
// older, slower answer never overwrites what the newest one said.

export type Ask<T> = (question: Promise<T>, answer: (value: T) => void, failed?: (error: unknown) => void) => void;

export function latestOnly<T>(): Ask<T> {
  let newest = 0;
  return (question, answer, failed) => {
    const mine = ++newest;
    question.then(
      (value) => {
        if (mine === newest) answer(value);
      },
      (error) => {
        if (mine === newest) failed?.(error);
      },
    );
  };
}
