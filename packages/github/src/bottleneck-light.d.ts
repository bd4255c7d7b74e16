// bottleneck's light build (what the throttling plugin itself uses) has the full build's API minus clustering
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
